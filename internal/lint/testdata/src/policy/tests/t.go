package tests

func Bad() {}

func f() {
	Bad() // silent: rule alpha switched off
}
