"""Pure Ibis expressions of the attribution engine.

Every function takes and returns an Ibis table and executes nothing, so the
same code runs on DuckDB, PostgreSQL, Spark or a warehouse. The runner in
:mod:`accord.metrics.attribution.engine` executes them and pulls only small
aggregates (per channel, per channel pair, per channel set) into Python.

Touches of one journey are ordered by time, ties broken by the channel's
code, so every engine sees the same order.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from accord.metrics.attribution.models import MILESTONE_MODELS, Settings

REQUIRED_COLUMNS = ("journey_id", "ts", "channel", "converted", "value")
SECONDS_PER_DAY = 86_400
NO_CAMPAIGN = "(no campaign)"


def touches_typed(touches: ir.Table) -> ir.Table:
    """The canonical columns with canonical types (CSV readers may guess others)."""
    columns = {
        "journey_id": touches.journey_id,
        "ts": touches.ts.cast("timestamp"),
        "channel": touches.channel.cast("string"),
        "converted": touches.converted.cast("boolean"),
        "value": touches.value.cast("float64"),
    }
    for optional in ("campaign", "milestone"):
        if optional in touches.columns:
            columns[optional] = touches[optional].cast("string")
    return touches.select(**columns)


def touches_keyed(
    touches: ir.Table, *, by: str = "channel", lookback_days: float | None = None
) -> ir.Table:
    """Typed touches plus ``key``, the label credit is given to (channel or campaign)."""
    key = touches.channel if by == "channel" else touches.campaign.fill_null(NO_CAMPAIGN)
    keyed = touches.mutate(key=key, value=touches.value.fill_null(0.0))
    if "campaign" in keyed.columns:
        keyed = keyed.drop("campaign")
    if lookback_days is None:
        return keyed
    window = ibis.interval(seconds=round(lookback_days * SECONDS_PER_DAY))
    ended = keyed.mutate(journey_end=keyed.ts.max().over(group_by=keyed.journey_id))
    return ended.filter(ended.ts >= ended.journey_end - window).drop("journey_end")


def input_problems(touches: ir.Table) -> ir.Table:
    """One row counting the touches that break the input contract, by kind of problem."""
    return touches.aggregate(
        journey_id_missing=touches.journey_id.isnull().sum(),
        ts_missing=touches.ts.isnull().sum(),
        channel_missing=touches.channel.isnull().sum(),
        converted_missing=touches.converted.isnull().sum(),
        value_negative=(touches.value < 0).fill_null(False).sum(),
    )


def distinct_keys(keyed: ir.Table) -> ir.Table:
    return keyed.select("key").distinct().order_by("key")


def touches_coded(keyed: ir.Table, keys: list[str]) -> ir.Table:
    """Replace the key label with its position in the sorted key list (0-based ``code``)."""
    codes = ibis.memtable({"key": keys, "code": list(range(len(keys)))})
    codes = codes.mutate(code=codes.code.cast("int64"))
    return keyed.join(codes, "key")


def _ordered(table: ir.Table) -> ibis.Window:
    return ibis.window(group_by=table.journey_id, order_by=[table.ts, table.code])


def transition_counts(coded: ir.Table, *, order: int, n_keys: int) -> ir.Table:
    """Touches counted by (state, next key, converted); ``next_code`` is null at the end.

    A state is the last ``order`` keys of the journey so far, packed into one
    integer in base ``n_keys + 1`` (digit 0 means "no touch yet"). The same
    pass counts touches whose successor disagrees on ``converted`` or ``value``,
    which the runner reports as an input error.
    """
    w = _ordered(coded)
    base = n_keys + 1
    state = coded.code + 1
    for lag in range(1, order):
        state = state + (coded.code.lag(lag).over(w) + 1).fill_null(0) * base**lag
    steps = coded.select(
        state=state,
        next_code=coded.code.lead().over(w),
        converted=coded.converted,
        value=coded.value,
        next_converted=coded.converted.lead().over(w),
        next_value=coded.value.lead().over(w),
    )
    inconsistent = steps.next_code.notnull() & (
        (steps.next_converted != steps.converted) | (steps.next_value != steps.value)
    )
    return steps.group_by("state", "next_code", "converted").aggregate(
        touches=steps.count(),
        value=steps.value.sum(),
        inconsistent=ibis.ifelse(inconsistent, 1, 0).sum(),
    )


def inconsistent_journeys(keyed: ir.Table) -> ir.Table:
    """Journeys whose touches disagree on ``converted`` or ``value``."""
    per_journey = keyed.group_by("journey_id").aggregate(
        converted_kinds=keyed.converted.nunique(),
        value_kinds=keyed.value.nunique(),
    )
    return per_journey.filter((per_journey.converted_kinds > 1) | (per_journey.value_kinds > 1))


def converting_touches(coded: ir.Table) -> ir.Table:
    return coded.filter(coded.converted)


def journey_masks(coded: ir.Table) -> ir.Table:
    """Converting journeys counted by their set of keys, as a bitmask of key codes."""
    pairs = converting_touches(coded).select("journey_id", "code", "value").distinct()
    per_journey = pairs.group_by("journey_id").aggregate(
        mask=(ibis.literal(1, "int64") << pairs.code.cast("int32")).sum(),
        value=pairs.value.max(),
    )
    return per_journey.group_by("mask").aggregate(
        conversions=per_journey.count(), value=per_journey.value.sum()
    )


def shapley_unanimity_credit(coded: ir.Table) -> ir.Table:
    """Shapley credit in closed form: each converting journey split evenly over its distinct keys.

    With v(S) = conversions of journeys whose keys all lie in S, the game is a
    sum of unanimity games, one per journey, whose Shapley value is exactly
    this even split; it needs no enumeration of subsets.
    """
    pairs = converting_touches(coded).select("journey_id", "code", "value").distinct()
    share = 1.0 / pairs.count().over(group_by=pairs.journey_id)
    shares = pairs.mutate(share=share)
    return shares.group_by("code").aggregate(
        conversions=shares.share.sum(), value=(shares.share * shares.value).sum()
    )


def _journey_positions(converting: ir.Table, *, direct_channels: tuple[str, ...]) -> ir.Table:
    w = _ordered(converting)
    whole = ibis.window(group_by=converting.journey_id)
    pos = ibis.row_number().over(w)
    positioned = converting.mutate(
        pos=pos,
        n=converting.count().over(whole),
        epoch=converting.ts.epoch_seconds().cast("float64"),
    )
    whole = ibis.window(group_by=positioned.journey_id)
    non_direct = ibis.ifelse(positioned.channel.isin(direct_channels), None, positioned.pos)
    anchors = {
        "last_epoch": positioned.epoch.max().over(whole),
        "last_non_direct_pos": non_direct.max().over(whole),
    }
    if "milestone" in positioned.columns:
        for milestone in ("lead_created", "opportunity_created", "closed_won"):
            at = ibis.ifelse(positioned.milestone == milestone, positioned.pos, None)
            anchors[f"{milestone}_pos"] = at.min().over(whole)
    return positioned.mutate(**anchors)


def _shape_raw(t: ir.Table, model: str, settings: Settings) -> tuple[ir.Value, ir.Value]:
    shape = settings.shape(model)
    anchors = {"first": ibis.literal(0, "int64"), "last": t.n - 1}
    if model in MILESTONE_MODELS:
        for milestone in ("lead_created", "opportunity_created", "closed_won"):
            anchors[milestone] = t[f"{milestone}_pos"]
    raw = ibis.literal(0.0)
    is_anchor = ibis.literal(False)
    for role, anchor in anchors.items():
        share = getattr(shape, role)
        if share > 0:
            hit = (t.pos == anchor).fill_null(False)
            raw = raw + ibis.ifelse(hit, share, 0.0)
            is_anchor = is_anchor | hit
    return raw, is_anchor


def heuristic_weights(coded: ir.Table, *, models: tuple[str, ...], settings: Settings) -> ir.Table:
    """One row per converting touch, one weight column per model; a journey's weights sum to 1."""
    t = _journey_positions(converting_touches(coded), direct_channels=settings.direct_channels)
    half_life = settings.half_life_days * SECONDS_PER_DAY
    raw: dict[str, ir.Value] = {}
    anchor_flags: dict[str, ir.Value] = {}
    for model in models:
        if model == "first":
            raw[model] = ibis.ifelse(t.pos == 0, 1.0, 0.0)
        elif model == "last":
            raw[model] = ibis.ifelse(t.pos == t.n - 1, 1.0, 0.0)
        elif model == "last_non_direct":
            target = t.last_non_direct_pos.fill_null(t.n - 1)
            raw[model] = ibis.ifelse(t.pos == target, 1.0, 0.0)
        elif model == "linear":
            raw[model] = 1.0 / t.n
        elif model == "time_decay":
            raw[model] = ibis.literal(0.5) ** ((t.last_epoch - t.epoch) / half_life)
        else:
            raw[model], anchor_flags[model] = _shape_raw(t, model, settings)
    staged = t.mutate(
        **{f"raw_{m}": v for m, v in raw.items()},
        **{f"anchor_{m}": ibis.ifelse(v, 1, 0) for m, v in anchor_flags.items()},
    )
    staged = _spread_middle(staged, models=tuple(anchor_flags), settings=settings)
    whole = ibis.window(group_by=staged.journey_id)
    weights = {}
    for model in models:
        column = staged[f"raw_{model}"]
        total = column.sum().over(whole)
        weights[model] = ibis.ifelse(total > 0, column / total.nullif(0), 1.0 / staged.n)
        if model in ("position", "j_shaped", "inverse_j"):
            weights[model] = ibis.ifelse(staged.n == 2, 0.5, weights[model])
    return staged.select("journey_id", "code", "value", **weights)


def _spread_middle(t: ir.Table, *, models: tuple[str, ...], settings: Settings) -> ir.Table:
    """Give each shaped model's middle share evenly to the touches that hold no anchor role."""
    whole = ibis.window(group_by=t.journey_id)
    counted = t.mutate(**{f"anchors_{m}": t[f"anchor_{m}"].sum().over(whole) for m in models})
    spread = {}
    for model in models:
        middle = settings.shape(model).middle
        rest = counted.n - counted[f"anchors_{model}"]
        share = ibis.ifelse(
            counted[f"anchor_{model}"] == 0, middle / rest.nullif(0).cast("float64"), 0.0
        )
        spread[f"raw_{model}"] = counted[f"raw_{model}"] + share
    return counted.mutate(**spread)


def heuristic_credit(coded: ir.Table, *, models: tuple[str, ...], settings: Settings) -> ir.Table:
    """Credit per key code: ``<model>_conversions`` and ``<model>_value`` for each model."""
    w = heuristic_weights(coded, models=models, settings=settings)
    sums = {}
    for model in models:
        sums[f"{model}_conversions"] = w[model].sum()
        sums[f"{model}_value"] = (w[model] * w.value).sum()
    return w.group_by("code").aggregate(**sums)
