package testsoff

func g() {
	//resilvet:ignore nosuch the reason
	_ = 0 // silent: test files are not reported unless tests is set
}
