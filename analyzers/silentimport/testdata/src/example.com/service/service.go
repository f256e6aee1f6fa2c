package service // want package:"registers\\(postgres\\) opens\\(postgres@example.com/store\\)"

import "example.com/store"

// Start opens the store: the driver is registered two imports away from
// a main package that imports service.
func Start(dsn string) error {
	_, err := store.Open(dsn)
	return err
}
