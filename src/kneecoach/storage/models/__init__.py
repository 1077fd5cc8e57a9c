"""Every table module is imported here so Alembic and `create_all` see the whole schema."""

from kneecoach.storage.models import accounts as accounts
from kneecoach.storage.models import checkins as checkins
from kneecoach.storage.models import clinic as clinic
from kneecoach.storage.models import course as course
from kneecoach.storage.models import idempotency as idempotency
from kneecoach.storage.models import intakes as intakes
from kneecoach.storage.models import outcomes as outcomes
from kneecoach.storage.models import plans as plans
from kneecoach.storage.models import preferences as preferences
from kneecoach.storage.models import shoes as shoes
