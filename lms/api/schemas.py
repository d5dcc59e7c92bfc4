"""The shapes of what the API takes and gives: pydantic models that validate each request and response
and make the OpenAPI document (lms.api.framework). Shared pieces here; each domain's in its own module."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _printable(value: str) -> str:
    # PostgreSQL text holds no NUL, and lone surrogates cannot be encoded: refuse both as invalid input.
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("contains a NUL character or a lone surrogate")
    return value


Text = Annotated[str, AfterValidator(_printable)]


class Strict(BaseModel):
    """A request body: unknown fields are refused, so a misspelt field is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Page(BaseModel):
    next: str | None = Field(description="The next page's link (relative), or `null` on the last page")


class Done(BaseModel):
    result: str = Field(description="`created`, `changed` or `unchanged`")


EMPLOYEE_NO = Field(min_length=1, max_length=32, description="The employee number (kept upper-case)")
