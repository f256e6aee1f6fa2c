module example.com/versionmod

go 1.21
