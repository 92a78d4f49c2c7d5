"""Identity: users, sessions, organizations, memberships, and the request's tenant gate."""
