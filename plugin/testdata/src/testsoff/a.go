package testsoff

func f() {
	// want +1 `directive gives no reason.* \(ignore/malformed\)$`
	//resilvet:ignore ignore
	_ = 0
}
