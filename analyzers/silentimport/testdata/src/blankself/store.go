package blankself

import (
	"database/sql"
	"image"
	"io"
)

// Open opens the store's database.
func Open(dsn string) (*sql.DB, error) { return sql.Open("postgres", dsn) }

// Decode decodes an image.
func Decode(r io.Reader) (image.Image, error) {
	img, _, err := image.Decode(r)
	return img, err
}
