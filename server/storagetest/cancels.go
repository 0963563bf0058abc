package storagetest

import (
	"testing"

	"kessai/server/domain"
)

func testCancels(t *testing.T, st domain.Storage) {}
