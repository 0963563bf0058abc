-- Link forms (docs/link-forms.md): the settings are in data. ResetStore
-- keeps them, as it keeps the store's configuration.
CREATE TABLE forms (id TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id), created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX forms_store ON forms(store_id, created_at);
