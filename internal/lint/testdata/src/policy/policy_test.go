package policy

func h() {
	Bad() // silent: a test file, and -demo.tests is off
}
