package storagetest

import (
	"testing"

	"kessai/server/domain"
)

func testLimits(t *testing.T, st domain.Storage) {}
