package main

import (
	"image"
	"os"
)

func main() {
	img, _, err := image.Decode(os.Stdin) // want `this program decodes images but registers no image format`
	if err != nil {
		panic(err)
	}
	_ = img
}
