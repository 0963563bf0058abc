-- Link forms (docs/link-forms.md): the settings are in data. ResetStore
-- keeps them, as it keeps the store's configuration.
CREATE TABLE forms (
	id text COLLATE "C" PRIMARY KEY,
	store_id text COLLATE "C" NOT NULL REFERENCES stores (id) DEFERRABLE,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);
CREATE INDEX forms_store ON forms (store_id, created_at, id);
