from sencohub.kernel.secrets import digest, new_secret, shown_prefix


def test_a_secret_is_new_each_time_and_recognised_only_by_its_digest():
    first, second = new_secret("sh_"), new_secret("sh_")
    assert first != second and first.startswith("sh_")
    assert digest(first) == digest(first) != digest(second)
    assert first not in digest(first)
    assert shown_prefix(first) == first[:8] and len(shown_prefix(first)) < len(first) // 4
