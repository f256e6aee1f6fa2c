package main

import (
	"os"

	_ "image/png" // reads PNG

	"example.com/thumb"
)

func main() {
	// Silent: image/png registers a format.
	_, _, err := thumb.Size(os.Stdin)
	if err != nil {
		panic(err)
	}
}
