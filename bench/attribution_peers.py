"""One peer run over a touch file, as its users would write it; timed from outside.

python bench/attribution_peers.py channelattribution FILE
python bench/attribution_peers.py mam FILE
python bench/attribution_peers.py duckdb_scan FILE
"""

from __future__ import annotations

import contextlib
import io
import sys


def channelattribution_run(path: str) -> None:
    import ChannelAttribution
    import pandas as pd

    touches = pd.read_parquet(path, columns=["journey_id", "ts", "channel", "converted", "value"])
    touches = touches.sort_values(["journey_id", "ts"])
    journeys = touches.groupby("journey_id", sort=False).agg(
        path=("channel", " > ".join), converted=("converted", "first"), value=("value", "first")
    )
    journeys["conv"] = journeys.converted.astype(int)
    journeys["null"] = 1 - journeys.conv
    journeys["value"] = journeys.value.where(journeys.converted, 0.0)
    paths = journeys.groupby("path", as_index=False)[["conv", "null", "value"]].sum()
    with contextlib.redirect_stdout(io.StringIO()):
        ChannelAttribution.heuristic_models(paths, "path", "conv", var_value="value")
        ChannelAttribution.markov_model(
            paths, "path", "conv", var_value="value", var_null="null", verbose=False, flg_pro=False
        )


def mam_run(path: str) -> None:
    import polars as pl
    from mam import MAM

    touches = pl.read_parquet(path, columns=["journey_id", "ts", "channel", "converted", "value"])
    model = MAM(
        touches.with_columns(pl.col("journey_id").cast(pl.String)),
        format_type="session",
        channels_colname="channel",
        journey_with_conv_colname="converted",
        datetime_colname="ts",
        user_id_colname="journey_id",
        conversion_value_colname="value",
    )
    model.run_first_click()
    model.run_last_click()
    model.run_linear()
    model.run_position_based()
    model.run_time_decay()
    model.run_markov()
    model.run_shapley()


def duckdb_scan_run(path: str) -> None:
    import duckdb

    duckdb.sql(
        f"SELECT channel, count(*), sum(value) FROM read_parquet('{path}') GROUP BY channel"
    ).fetchall()


RUNS = {
    "channelattribution": channelattribution_run,
    "mam": mam_run,
    "duckdb_scan": duckdb_scan_run,
}

if __name__ == "__main__":
    RUNS[sys.argv[1]](sys.argv[2])
