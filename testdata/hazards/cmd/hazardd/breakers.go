package main

import (
	"net/http"

	"example.com/hazards/breakers/storage"
	"example.com/hazards/breakers/vmapi"
)

func init() {
	http.HandleFunc("/vm", vmapi.Handler)
	http.HandleFunc("/object", func(w http.ResponseWriter, r *http.Request) {
		b, _ := storage.Get(r.URL.Path)
		w.Write(b)
	})
}
