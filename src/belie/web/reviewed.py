"""``claims/reviewed.yaml`` as text: see :mod:`belie.review.reviewed` (kept here for imports
written before the review library moved out of the web app)."""
from belie.review.reviewed import *  # noqa: F401,F403
from belie.review.reviewed import __all__  # noqa: F401
