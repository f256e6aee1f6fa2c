package ruleoff

func f() {
	//resilvet:ignore ignore
	_ = 0 // silent: the malformed rule is switched off
}
