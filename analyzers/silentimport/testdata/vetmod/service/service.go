// Package service starts the store. It registers no driver itself.
package service

import "example.com/vetmod/store"

// Start opens the store.
func Start(dsn string) error {
	db, err := store.Open(dsn)
	if err != nil {
		return err
	}
	return db.Close()
}
