package blank

// Silent below, with no comment: the //go:linkname directive needs the
// package it links to imported.

import (
	_ "sync"
	_ "unsafe"
)

//go:linkname poolCleanup sync.poolCleanup
var poolCleanup func()
