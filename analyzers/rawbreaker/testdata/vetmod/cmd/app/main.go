package main

import _ "example.com/vetmod/c"

func main() {}
