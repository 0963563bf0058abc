package api

// Bank-transfer brand (data.brand of a bank_transfer token): GMO Aozora Net
// Bank virtual accounts.
const BankTransferAozora = "aozora_bank"

// The bank of every virtual account.
const (
	AozoraBankCode = "0310"
	AozoraBankName = "GMOあおぞらネット銀行"
	// AccountTypeOrdinary is the type of every virtual account (普通).
	AccountTypeOrdinary = "ordinary"
)

// BankLedgerType is the kind of a bank-transfer ledger entry.
type BankLedgerType string

// Ledger entry kinds: money received on the virtual account, and the
// system applying it to the charge.
const (
	BankLedgerDeposit BankLedgerType = "deposit"
	BankLedgerPayment BankLedgerType = "payment"
)

// BankTransferLedger is an item of GET
// /stores/{storeId}/charges/{chargeId}/bank_transfer_ledgers. Balance is
// the total deposited on the charge after this entry; Amount is in the
// charge's currency (JPY).
type BankTransferLedger struct {
	BankLedgerType               BankLedgerType `json:"bank_ledger_type"`
	Amount                       int64          `json:"amount"`
	Balance                      int64          `json:"balance"`
	TransactionID                *int64         `json:"transaction_id"`
	VirtualBankAccountHolderName string         `json:"virtual_bank_account_holder_name"`
	VirtualBankAccountNumber     string         `json:"virtual_bank_account_number"`
	VirtualAccountID             string         `json:"virtual_account_id"`
	TransactionDate              string         `json:"transaction_date"` // yyyy-mm-dd, Japan time
	TransactionTimestamp         string         `json:"transaction_timestamp"`
	Mode                         Mode           `json:"mode"`
	CreatedOn                    string         `json:"created_on"`
}

// BankTransferResult is how a bank-transfer charge's deposits compare with
// its amount (docs/payment-methods.md, "Bank transfer").
type BankTransferResult string

// Bank-transfer results.
const (
	BankTransferUnpaid       BankTransferResult = "unpaid"
	BankTransferInsufficient BankTransferResult = "insufficient"
	BankTransferExact        BankTransferResult = "exact"
	BankTransferExceeded     BankTransferResult = "exceeded"
)
