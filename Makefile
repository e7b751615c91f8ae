# Convenience targets; the README's two commands are the scripts themselves.
.PHONY: run test build vet bench clean

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

build:
	go build -o bin/ ./cmd/...

vet:
	go vet ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
