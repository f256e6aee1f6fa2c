module example.com/rollback

go 1.22
