package api

// Convenience stores (data.convenience_store of a konbini token; the
// konbini brands of checkout_info.supported_brands).
const (
	KonbiniSevenEleven        = "seven_eleven"
	KonbiniFamilyMart         = "family_mart"
	KonbiniLawson             = "lawson"
	KonbiniMiniStop           = "mini_stop"
	KonbiniSeicoMart          = "seico_mart"
	KonbiniPayEasy            = "pay_easy"
	KonbiniCircleK            = "circle_k"
	KonbiniSunkus             = "sunkus"
	KonbiniDailyYamazaki      = "daily_yamazaki"
	KonbiniYamazakiDailyStore = "yamazaki_daily_store"
)

// KonbiniBrands lists every convenience store, in the documentation's order.
var KonbiniBrands = []string{
	KonbiniSevenEleven, KonbiniFamilyMart, KonbiniLawson, KonbiniMiniStop, KonbiniSeicoMart,
	KonbiniPayEasy, KonbiniCircleK, KonbiniSunkus, KonbiniDailyYamazaki, KonbiniYamazakiDailyStore,
}

// KonbiniIgnoresTimeOfDay reports whether a convenience store takes no time
// of day for its payment deadline: Seven-Eleven, Seicomart and the "other"
// group (Circle K, Sunkus, Pay-easy). Their deadline is always 23:59:59,
// Japan time, of the deadline's day (docs/payment-methods.md, "Deadlines").
func KonbiniIgnoresTimeOfDay(store string) bool {
	switch store {
	case KonbiniSevenEleven, KonbiniSeicoMart, KonbiniCircleK, KonbiniSunkus, KonbiniPayEasy:
		return true
	}
	return false
}

// Metadata keys the server adds to a konbini charge once it is awaiting
// payment (docs/payment-methods.md, "Konbini").
const (
	// MetadataKonbiniPaymentNumber is the payment number the buyer gives
	// at the store, e.g. "20020-123456789012".
	MetadataKonbiniPaymentNumber = "internal_convenience_payment_number"
	// MetadataKonbiniPaymentURL is the payment slip URL; Seven-Eleven only.
	MetadataKonbiniPaymentURL = "internal_convenience_payment_url"
)

// PayEasyCollectionAgency is the Pay-easy collection agency number
// (収納機関番号) the buyer enters with the payment number.
const PayEasyCollectionAgency = "58091"
