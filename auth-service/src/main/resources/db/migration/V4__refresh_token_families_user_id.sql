-- A user deleted in user-service loses every session at once: their families are revoked by user id.
CREATE INDEX refresh_token_families_user_id_idx ON refresh_token_families (user_id);
