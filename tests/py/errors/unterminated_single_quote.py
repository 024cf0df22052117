s = 'it''s
