// Command hazardd is the service: it opens a database whose driver nothing
// registers, serves pprof (registered by a library's blank import) without
// noticing when the listener fails, and decodes images with no image format
// registered.
package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"

	"example.com/hazards/optional"
	"example.com/hazards/shared"
	"example.com/hazards/tasks"
)

func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	go http.ListenAndServe("localhost:6060", nil)

	http.HandleFunc("/audit", tasks.Audit)
	http.HandleFunc("/thumbnail", shared.Thumbnail)
	log.Printf("office hours in %s; thumbnail %v", optional.Office(), optional.Thumbnail(os.Stdin) != nil)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
