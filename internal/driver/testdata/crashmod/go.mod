module example.com/crashmod

go 1.22
