package storagetest

import (
	"testing"

	"kessai/server/domain"
)

func testRefunds(t *testing.T, st domain.Storage) {}
