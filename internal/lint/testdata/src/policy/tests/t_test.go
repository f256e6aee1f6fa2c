package tests

func Beta() {} // want `function named Beta`
