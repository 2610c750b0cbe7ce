-- Why an upload could not be read, once it has been tried: its preview shows this on every later visit, on any
-- instance and after restarts, and the file is never read again. Kept as the reader's refusal in JSON.

ALTER TABLE pending_imports ADD COLUMN refusal TEXT;
