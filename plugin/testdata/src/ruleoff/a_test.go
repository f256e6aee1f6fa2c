package ruleoff

func g() {
	//resilvet:ignore nosuch the reason
	_ = 0 // silent: the malformed rule is switched off, even with tests set
}
