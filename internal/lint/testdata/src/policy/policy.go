package policy

func Bad()  {}
func Good() {}
func Beta() {} // silent: rule beta is off by default

func f() {
	Bad() // want `call to Bad`

	//resilvet:ignore demo the reason
	Bad() // silent: suppressed by the directive on the line above

	Bad() //resilvet:ignore demo/alpha trailing directive naming the rule

	//resilvet:ignore demo/beta names another rule
	Bad() // want `call to Bad`

	//resilvet:ignore demo
	Bad() // want `call to Bad`

	//resilvet:ignore other the reason
	Bad() // want `call to Bad`

	//resilvet:ignore demo two lines above do not count

	Bad() // want `call to Bad`
}
