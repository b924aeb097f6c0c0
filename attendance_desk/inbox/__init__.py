"""The absence inbox: parents' emails and replies to the school's texts, fetched when the
network is up, read into proposed absence reports, and decided by a person (nothing is
coded until someone accepts a proposal)."""
