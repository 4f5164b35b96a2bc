//! Arrays (bash) and appends: associative arrays list their keys in
//! bash's order, appends change values in place, indexed arrays are
//! sparse. Every expectation was taken from bash 5.2.
#![allow(clippy::unwrap_used)]

mod common;
use common::{Case, check_cases};

#[test]
fn associative_arrays_list_keys_in_bash_order() {
    let cases: &[Case] = &[
        (
            "hash_order_not_insertion_order",
            r#"declare -A a; a[x]=1; a[b]=2; a[zz]=3; a[a]=4; echo "${!a[@]}"; echo "${a[@]}""#,
            "x b a zz\n1 2 4 3\n",
            "",
            0,
        ),
        (
            "an_unset_key_comes_back_in_its_place",
            r#"declare -A a; a[x]=1; a[b]=2; a[zz]=3; a[a]=4; unset 'a[b]'; echo "${!a[@]}"; a[b]=5; echo "${!a[@]}"; declare -p a"#,
            "x a zz\nx b a zz\ndeclare -A a=([x]=\"1\" [b]=\"5\" [a]=\"4\" [zz]=\"3\" )\n",
            "",
            0,
        ),
        (
            "compound_assignment",
            r#"declare -A m=([one]=1 [two]=2 [three]=3 [four]=4); echo "${!m[@]}""#,
            "four two three one\n",
            "",
            0,
        ),
        (
            "bytes_beyond_ascii_hash_as_bash_does",
            r#"declare -A h=([é]=1 [e]=2 [ü]=3 [a]=1); echo "${!h[@]}""#,
            "e a ü é\n",
            "",
            0,
        ),
        (
            "the_table_grows_as_bash_s_does",
            r#"declare -A a; for ((i = 1; i <= 3000; i++)); do a[k$i]=1; done; set -- "${!a[@]}"; echo $1 $2 $3 $4 $5 $#"#,
            "k1698 k1699 k1696 k1697 k1694 3000\n",
            "",
            0,
        ),
        (
            "unset_while_iterating_the_keys",
            r#"declare -A m=([one]=1 [two]=2 [three]=3 [four]=4); for k in "${!m[@]}"; do unset "m[$k]"; echo "$k ${#m[@]} ${!m[*]}"; done"#,
            "four 3 two three one\ntwo 2 three one\nthree 1 one\none 0 \n",
            "",
            0,
        ),
        (
            "the_order_survives_a_subshell_process",
            r#"declare -A m=([one]=1 [two]=2 [three]=3 [four]=4); (trap 'echo t' USR1; echo "${!m[@]}"); echo "$(echo "${!m[@]}")""#,
            "four two three one\nfour two three one\n",
            "",
            0,
        ),
    ];
    check_cases("", cases);
}

#[test]
fn appends_and_sparse_indexed_arrays() {
    let cases: &[Case] = &[
        (
            "append_reads_the_old_elements",
            r#"b=(1 2 3); b+=(4 "${b[@]}"); echo "${b[@]} ${#b[@]}"; d=(x y); d=(${d[1]} z); echo "${d[@]}""#,
            "1 2 3 4 1 2 3 7\ny z\n",
            "",
            0,
        ),
        (
            "sparse_indices",
            r#"c[1000000000]=x; c+=(y); echo "${!c[@]} ${#c[@]}"; declare -a z; z[5]=a; z[-1]+=b; z+=(c); declare -p z"#,
            "1000000000 1000000001 2\ndeclare -a z=([5]=\"ab\" [6]=\"c\")\n",
            "",
            0,
        ),
        (
            "element_appends",
            r#"b=(1 2 3); b[1]+=X; b[9]+=Y; declare -p b"#,
            "declare -a b=([0]=\"1\" [1]=\"2X\" [2]=\"3\" [9]=\"Y\")\n",
            "",
            0,
        ),
        (
            "a_scalar_becomes_element_zero",
            r#"x=abc; x+=(d); declare -p x; y=(1); y+=x; declare -p y"#,
            "declare -a x=([0]=\"abc\" [1]=\"d\")\ndeclare -a y=([0]=\"1x\")\n",
            "",
            0,
        ),
        (
            "scalar_appends_keep_attributes",
            r#"s=ab; s+=cd; s+=$(echo ef); echo $s; declare -i n=5; n+=3; echo $n; declare -u u=a; u+=b; echo $u; declare -n r=s; r+=y; echo $s"#,
            "abcdef\n8\nAB\nabcdefy\n",
            "",
            0,
        ),
        (
            "an_appended_export_reaches_children",
            r#"export e=1; e+=2; sh -c 'echo $e'"#,
            "12\n",
            "",
            0,
        ),
        (
            "a_loop_of_appends",
            r#"s=; a=(); for ((i = 0; i < 2000; i++)); do s+=x; a+=($i); done; echo ${#s} ${#a[@]} ${a[1999]}"#,
            "2000 2000 1999\n",
            "",
            0,
        ),
    ];
    check_cases("", cases);
}

/// Arrays have no place in the assignments before a command: bash reports
/// an element and runs the command without it, and takes `a=(…)` as text.
#[test]
fn array_assignments_before_a_command() {
    let cases: &[Case] = &[
        (
            "element_is_reported_and_the_command_runs",
            "a[1]=x b=2 sh -c 'echo $b'; echo $?",
            "2\n0\n",
            "pidsh: line 1: `a[1]': not a valid identifier\n",
            0,
        ),
        (
            "compound_value_is_text_for_the_command",
            "f() { declare -p a; }; a=(1 2) f; echo \"[${a[@]}]\"",
            "declare -x a=\"(1 2)\"\n[]\n",
            "",
            0,
        ),
    ];
    check_cases("", cases);
}
