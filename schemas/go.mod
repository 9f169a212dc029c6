module github.com/signpost/signpost/schemas

go 1.26
