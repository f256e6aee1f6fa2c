module example.com/newmod

go 1.22
