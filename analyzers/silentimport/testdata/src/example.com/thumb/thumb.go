package thumb // want package:"decodes\\(example.com/thumb\\)"

import (
	"image"
	"io"
)

// Size returns the size of an image.
func Size(r io.Reader) (int, int, error) {
	cfg, _, err := image.DecodeConfig(r)
	return cfg.Width, cfg.Height, err
}
