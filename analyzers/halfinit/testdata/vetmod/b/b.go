// Package b wraps a.Fetch: under go vet it sees a's facts only.
package b

import "example.com/vetmod/a"

func Connect() (string, error) {
	c, err := a.Fetch("db:5432")
	if err != nil {
		return "", err
	}
	defer c.Close()
	return c.RemoteAddr().String(), nil
}
