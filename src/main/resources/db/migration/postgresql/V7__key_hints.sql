-- Key hints show at most 4 characters and never over a quarter of the key (ApiKeys.hint). Hints stored
-- before showed the first 6 and last 4 (keys over 12 characters) or the first 3; the key's length is
-- no longer known, so a long hint keeps its last 3 characters (within budget for any key over 12) and a
-- short one keeps none.
UPDATE api_keys SET key_hint = CASE
    WHEN length(key_hint) = 11 AND substr(key_hint, 7, 1) = '…' THEN '…' || substr(key_hint, 9)
    ELSE '…' END;
