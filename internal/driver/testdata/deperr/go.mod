module example.com/deperr

go 1.22
