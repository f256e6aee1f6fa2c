package main

import (
	"os"

	"example.com/thumb"
)

func main() { // want `this program decodes images in example.com/thumb but registers no image format: every decode fails with "image: unknown format"; import _ "image/png" \(or image/jpeg, image/gif\) for each format it reads`
	_, _, err := thumb.Size(os.Stdin)
	if err != nil {
		panic(err)
	}
}
