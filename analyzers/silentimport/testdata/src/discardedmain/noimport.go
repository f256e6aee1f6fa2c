//go:build go1.22

package main

import "plugin"

func init() {
	p, _ := plugin.Open("ext.so") // want `error of plugin.Open discarded`
	_ = p
}
