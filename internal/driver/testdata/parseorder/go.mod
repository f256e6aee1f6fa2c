module example.com/parseorder

go 1.22
