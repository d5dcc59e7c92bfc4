"""KPI records as the API takes them."""

from pydantic import BaseModel, Field

from lms.api.schemas import Strict

NO_CONTROL = r"^[^\x00-\x1f\x7f]+$"


class KpiItem(Strict):
    employee_no: str = Field(min_length=1, max_length=32, pattern=NO_CONTROL)
    period: str = Field(min_length=1, max_length=10, pattern=NO_CONTROL,
                        description="`2026-03` for a month, `2026-W11` for an ISO week")
    values: dict[str, float] = Field(min_length=1, max_length=20,
                                     description="KPI code → value, e.g. `{\"fcr\": 82.5, \"aht\": 310}`")


class KpiPushIn(Strict):
    items: list[KpiItem] = Field(min_length=1, max_length=20000)


class KpiPushOut(BaseModel):
    rows: int
    values_written: int
    values_replaced: int
    first_period: str
    last_period: str
