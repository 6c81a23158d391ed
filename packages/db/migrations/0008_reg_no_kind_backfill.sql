-- Registration numbers stored before 0007 have no kind: classify them as core/registration.ts does.
UPDATE "entities" SET "reg_no_kind" = CASE
  WHEN "reg_no" ~ '^[0-9]{15}$' THEN 'reg15'
  WHEN "reg_no" ~ '^[0-9]{13}$' THEN 'reg13'
  WHEN "reg_no" ~ '^[0-9]{6}[0-9A-Z]{9}$' AND "reg_no" ~ '[A-Z]' THEN 'reg15_alnum'
  ELSE 'text'
END
WHERE "reg_no" IS NOT NULL AND "reg_no_kind" IS NULL;
