package malformed

func g() {
	// want +1 `^directive names unknown analyzer "nosuch" \(known: .*\) \(ignore/malformed\)$`
	//resilvet:ignore nosuch the reason
	_ = 0
}
