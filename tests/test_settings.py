import pytest

from spinscope.errors import ConfigError
from spinscope.registry import ANALYZERS, create_analyzer, register_builtins
from spinscope.settings import SCHEMA, load_settings, parse_override


def test_defaults_validate():
    values = load_settings()
    assert values == {k: s.default for k, s in SCHEMA.items()}


def test_file_env_and_overrides_layer_in_order(tmp_path, monkeypatch):
    path = tmp_path / "s.toml"
    path.write_text("[techniques]\nthreshold = 0.3\nbatch_size = 4\n")
    monkeypatch.setenv("SPINSCOPE_TECHNIQUES_THRESHOLD", "0.35")
    values = load_settings({"techniques.batch_size": "8"}, path=path)
    assert values["techniques.threshold"] == 0.35
    assert values["techniques.batch_size"] == 8


def test_unknown_setting_names_the_available_ones():
    with pytest.raises(ConfigError, match="Unknown setting 'bucket.size'. Available:"):
        load_settings({"bucket.size": 0.2})


@pytest.mark.parametrize(
    "name,near",
    [("techniques.treshold", "techniques.threshold"), ("technique.threshold",
     "techniques.threshold"), ("claim.max_claim", "claims.max_claims")],
)  # fmt: skip
def test_a_mistyped_setting_names_the_nearest(name, near):
    # a typo in --set or a [section] of the file listed all 50 settings on one line, and left
    # finding the one meant to the reader (the environment's typos already named it)
    with pytest.raises(ConfigError) as info:
        load_settings({name: 0.2})
    hint = f"did you mean {near}? (`spinscope settings` lists every setting.)"
    assert str(info.value) == f"Unknown setting {name!r}; {hint}"


@pytest.mark.parametrize(
    "name,value",
    [
        ("techniques.threshold", "1.5"),
        ("techniques.threshold", "high"),
        ("techniques.threshold", "nan"),  # was accepted: no findings, and NaN in the JSON
        ("serve.timeout_s", "nan"),
        ("techniques.decoder", "crf"),
        ("ingest.allow_private_urls", "maybe"),
    ],
)
def test_bad_values_are_config_errors(name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_parse_override():
    assert parse_override("techniques.threshold=0.4") == ("techniques.threshold", "0.4")
    with pytest.raises(ConfigError):
        parse_override("techniques.threshold")


def test_registry_lists_the_builtins():
    register_builtins()
    assert sorted(ANALYZERS) == [
        "claims",
        "framing",
        "roles",
        "techniques",
        "techniques_paragraphs",
    ]
    with pytest.raises(ConfigError, match="Unknown analyser 'claimz'. Available: claims, framing"):
        create_analyzer("claimz", load_settings())


def test_comma_lists_are_checked_item_by_item():
    assert load_settings({"pipeline.analyzers": "claims"})["pipeline.analyzers"] == "claims"
    with pytest.raises(ConfigError, match="pipeline.analyzers takes .* 'claimz'"):
        load_settings({"pipeline.analyzers": "techniques, claimz"})


def test_secrets_never_reach_an_output(monkeypatch):
    from spinscope import analyze

    monkeypatch.setenv("SPINSCOPE_SERVE_API_TOKEN", "s3cret-token")
    settings = load_settings({"pipeline.analyzers": "framing"})
    assert settings["serve.api_token"] == "s3cret-token"
    result = analyze("The minister said the plan would work.", settings=settings)
    assert "serve.api_token" not in result.settings
    assert "s3cret" not in str(result.to_dict())


@pytest.mark.parametrize(
    "content,message",
    [
        (b"techniques = 3\n", "'techniques' is not a \\[section\\]"),  # was an AttributeError
        (b"[techniques]\nthreshold = 0.3 # \x95\n", "Cannot read settings file"),  # was a
        # UnicodeDecodeError: the file is not UTF-8
    ],
)
def test_a_malformed_settings_file_is_a_config_error(tmp_path, content, message):
    path = tmp_path / "s.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(path=path)


@pytest.mark.parametrize(
    "line,name",
    [
        ("[claims]\nmax_claims = 1.7", "claims.max_claims"),  # was silently 1
        ("[roles]\nenabled = 2", "roles.enabled"),  # was silently True
        ("[techniques]\nthreshold = true", "techniques.threshold"),  # was silently 1.0
    ],
)
def test_a_settings_file_value_of_the_wrong_type_is_refused(tmp_path, line, name):
    path = tmp_path / "s.toml"
    path.write_text(line + "\n")
    with pytest.raises(ConfigError, match=f"Setting {name} must be a"):
        load_settings(path=path)


def test_a_settings_file_int_is_a_float():
    values = load_settings({"techniques.threshold": 1, "framing.threshold": 0})
    assert values["techniques.threshold"] == 1.0 and values["framing.threshold"] == 0.0


def test_a_bad_value_from_the_environment_or_a_file_says_where_it_came_from(tmp_path, monkeypatch):
    # the message was the same as for --set, which the user had not given
    monkeypatch.setenv("SPINSCOPE_TECHNIQUES_THRESHOLD", "abc")
    with pytest.raises(ConfigError, match="^Environment variable SPINSCOPE_TECHNIQUES_THRESHOLD: "
                       "Setting techniques.threshold must be a float, got 'abc'"):  # fmt: skip
        load_settings()
    monkeypatch.delenv("SPINSCOPE_TECHNIQUES_THRESHOLD")
    path = tmp_path / "s.toml"
    path.write_text("[techniques]\ntreshold = 0.3\n")
    with pytest.raises(ConfigError, match=f"^Settings file {path}: Unknown setting 'techniques"):
        load_settings(path=path)
    with pytest.raises(ConfigError, match="^Setting claims.max_claims must be between"):
        load_settings({"claims.max_claims": 0})  # --set: as before


def test_a_mistyped_setting_in_the_environment_is_refused_naming_the_nearest(monkeypatch):
    # SPINSCOPE_TECHNIQUES_THRESOLD was ignored and the default threshold used without a word
    monkeypatch.setenv("SPINSCOPE_TECHNIQUES_THRESOLD", "0.3")
    with pytest.raises(ConfigError) as e:
        load_settings()
    msg = str(e.value)
    assert "\n" not in msg and "SPINSCOPE_TECHNIQUES_THRESOLD" in msg
    assert "SPINSCOPE_TECHNIQUES_THRESHOLD" in msg


def test_environment_variables_outside_the_settings_sections_are_not_settings(monkeypatch):
    for key in ("SPINSCOPE_THREADS", "SPINSCOPE_CACHE_DIR", "SPINSCOPE_CHROMIUM"):
        monkeypatch.setenv(key, "1")
    monkeypatch.setenv("SPINSCOPE_TECHNIQUES_PARAGRAPHS_TAGGER", "false")  # a real one
    assert load_settings()["techniques_paragraphs.tagger"] is False


@pytest.mark.parametrize(
    "name,value,near",
    [
        ("techniques.label_min_confidence", "Doubt=0.3; Loaded_Langauge=0.3", "Loaded_Language"),
        ("techniques.label_min_confidence", "Flag_Waving=0.2; Flag-Wavng=0.4", "Flag-Waving"),
        ("techniques_paragraphs.label_min_confidence", "Doubtt=0.5", "Doubt"),
    ],
)
def test_an_unknown_label_in_a_per_label_threshold_is_refused_naming_the_nearest(name, value, near):
    # a typo was silently ignored: the threshold applied to no finding
    with pytest.raises(ConfigError) as e:
        load_settings({name: value})
    msg = str(e.value)
    assert "\n" not in msg and name in msg and f"did you mean {near}?" in msg


def test_per_label_thresholds_of_either_taxonomy_are_accepted():
    value = "Doubt=0.3; Flag-Waving=0.2; Bandwagon,Reductio_ad_hitlerum=0.4"
    assert (
        load_settings({"techniques.label_min_confidence": value})["techniques.label_min_confidence"]
        == value
    )
    with pytest.raises(ConfigError, match="techniques_paragraphs.label_min_confidence"):
        load_settings({"techniques_paragraphs.label_min_confidence": "Flag-Waving=0.2"})  # PTC's


def test_a_settings_file_that_cannot_be_read_is_one_plain_line(tmp_path):
    # the line repeated the path inside Python's "[Errno 2] ...: '/path'", and an empty
    # --config "" (an unset shell variable) was ignored without a word
    for path, reason in ((tmp_path / "nope.toml", "No such file or directory"),
                         (tmp_path, "Is a directory")):  # fmt: skip
        with pytest.raises(ConfigError) as info:
            load_settings(path=path)
        assert str(info.value) == f"Cannot read settings file {path}: {reason}."
    with pytest.raises(ConfigError, match="^The settings file name is empty"):
        load_settings(path="")


def test_a_type_error_names_the_type_with_its_article():
    with pytest.raises(ConfigError, match="^Setting techniques.batch_size must be an int, got"):
        load_settings({"techniques.batch_size": 2.5})


def test_a_settings_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    # Notepad saves UTF-8 with a BOM: the file was refused as "Invalid statement (at line 1,
    # column 1)", though it looks right in any editor
    path = tmp_path / "s.toml"
    path.write_bytes(b"\xef\xbb\xbf[techniques]\r\nthreshold = 0.3\r\n")
    assert load_settings(path=path)["techniques.threshold"] == 0.3
    path.write_bytes("[techniques]\nthreshold = 0.3\n".encode("utf-16"))
    with pytest.raises(ConfigError) as info:
        load_settings(path=path)
    assert str(info.value) == f"Cannot read settings file {path}: it is not UTF-8 text."


@pytest.mark.parametrize("value", ["", " , "])
def test_an_empty_list_of_taxonomies_is_refused(value):
    # it ran the tagger and dropped every finding: the reports then said no persuasion
    # techniques were found in the text (pipeline.analyzers="" is refused the same way)
    register_builtins()
    settings = load_settings({"techniques.taxonomies": value})
    with pytest.raises(ConfigError, match="^Setting techniques.taxonomies names no taxonomy"):
        create_analyzer("techniques", settings)
