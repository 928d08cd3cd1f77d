// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of reports. Text is for people and may change wording; JSON
 * keys are for scripts and stay stable.
 */
#include <inttypes.h>

#include <splitvisor.h>

#include "hwcheck_text.h"
#include "json.h"
#include "report.h"

#define SENTENCE_LEN	320

bool hw_is_capable(const struct hw_report *hw)
{
	return hw->capable && !hw_missing_required_count(hw);
}

const char *hv_state_name(uint32_t state)
{
	switch (state) {
	case SPLITVISOR_HV_STATE_OFF:
		return "off";
	case SPLITVISOR_HV_STATE_ON:
		return "on";
	default:
		return "unknown";
	}
}

void print_hv_state(FILE *out, uint32_t state, uint32_t cpus_virtualized)
{
	switch (state) {
	case SPLITVISOR_HV_STATE_ON:
		fprintf(out, "hypervisor: on (%" PRIu32 " CPU%s)",
			cpus_virtualized, cpus_virtualized == 1 ? "" : "s");
		break;
	case SPLITVISOR_HV_STATE_OFF:
		fputs("hypervisor: off", out);
		break;
	default:
		fprintf(out, "hypervisor: unknown state %" PRIu32, state);
		break;
	}
}

void report_hv_state_text(FILE *out, uint32_t state,
			  uint32_t cpus_virtualized)
{
	print_hv_state(out, state, cpus_virtualized);
	fputc('\n', out);
}

void report_hv_state_json(FILE *out, uint32_t state,
			  uint32_t cpus_virtualized)
{
	struct json_writer w;

	json_init(&w, out);
	json_object_begin(&w);
	json_kv_string(&w, "hypervisor", hv_state_name(state));
	json_kv_uint(&w, "cpus_virtualized", cpus_virtualized);
	json_object_end(&w);
	fputc('\n', out);
}

static void print_cpu(FILE *out, const struct hw_report *hw)
{
	struct cpu_signature sig;

	cpu_signature_decode(hw->signature, &sig);
	fprintf(out, "%s, family %u model %u stepping %u, %u CPU%s checked",
		hw->vendor[0] ? hw->vendor : "unknown vendor", sig.family,
		sig.model, sig.stepping, hw->cpus_checked,
		hw->cpus_checked == 1 ? "" : "s");
}

void report_status_text(FILE *out, const struct sv_status *st)
{
	const struct hw_feature *missing;
	char sentence[SENTENCE_LEN];

	fprintf(out, "module version: %s\n", st->module_version);
	fprintf(out, "API version:    %" PRIu32 " (vmctl %d)\n",
		st->api_version, SPLITVISOR_API_VERSION);
	if (st->hv_state <= SPLITVISOR_HV_STATE_ON)
		fprintf(out, "hypervisor:     %s\n",
			hv_state_name(st->hv_state));
	else
		fprintf(out, "hypervisor:     unknown state %" PRIu32 "\n",
			st->hv_state);
	if (st->has_counters && st->hv_state == SPLITVISOR_HV_STATE_ON) {
		fprintf(out, "cpus virtualized: %" PRIu32 "\n",
			st->cpus_virtualized);
		fprintf(out, "vm exits: %" PRIu64 "\n", st->exits);
	}

	fputs("hardware:       ", out);
	if (!st->has_hw) {
		fputs("not reported by the module\n", out);
		return;
	}
	if (hw_is_capable(&st->hw)) {
		fputs("capable (", out);
		print_cpu(out, &st->hw);
		fputs(")\n", out);
		return;
	}
	missing = hw_first_missing_required(&st->hw);
	if (missing)
		fprintf(out, "NOT capable: %s\n",
			feature_sentence(&st->hw, missing, sentence,
					 sizeof(sentence)));
	else
		fputs("NOT capable (see vmctl hw-check)\n", out);
}

void report_hw_check_text(FILE *out, const struct hw_report *hw)
{
	char sentence[SENTENCE_LEN];
	unsigned int i, missing;

	fputs("CPU: ", out);
	print_cpu(out, hw);
	fprintf(out, " (signature 0x%08" PRIx32 ")\n", hw->signature);
	fprintf(out, "MSRs: IA32_FEATURE_CONTROL 0x%" PRIx64
		", IA32_VMX_BASIC 0x%" PRIx64
		", IA32_VMX_EPT_VPID_CAP 0x%" PRIx64 "\n",
		hw->feature_control, hw->vmx_basic, hw->ept_vpid_cap);
	if (hw->cpus_differ)
		fputs("warning: the CPUs do not all report the same capabilities; a feature counts as present only if every CPU has it\n",
		      out);

	for (i = 0; i < hw->nr_features; i++) {
		const struct hw_feature *feat = &hw->features[i];

		fprintf(out, "  %-8s %-9s %-19s %s\n",
			feature_state_word(feat->state),
			feature_need_name(feat->need), feat->name,
			feature_sentence(hw, feat, sentence,
					 sizeof(sentence)));
	}

	missing = hw_missing_required_count(hw);
	if (hw_is_capable(hw))
		fputs("verdict: splitvisor can run on this machine\n", out);
	else if (missing)
		fprintf(out, "verdict: splitvisor cannot run on this machine: %u required feature(s) missing\n",
			missing);
	else
		fputs("verdict: splitvisor cannot run on this machine: the module reports it not capable\n",
		      out);
}

static void json_hw(struct json_writer *w, const struct hw_report *hw)
{
	char sentence[SENTENCE_LEN];
	struct cpu_signature sig;
	unsigned int i;

	cpu_signature_decode(hw->signature, &sig);
	json_object_begin(w);
	json_kv_bool(w, "capable", hw_is_capable(hw));
	json_kv_string(w, "vendor", hw->vendor);
	json_kv_uint(w, "family", sig.family);
	json_kv_uint(w, "model", sig.model);
	json_kv_uint(w, "stepping", sig.stepping);
	json_kv_hex(w, "signature", hw->signature);
	json_kv_uint(w, "cpus_checked", hw->cpus_checked);
	json_kv_bool(w, "cpus_differ", hw->cpus_differ);
	json_kv_hex(w, "feature_control", hw->feature_control);
	json_kv_hex(w, "vmx_basic", hw->vmx_basic);
	json_kv_hex(w, "ept_vpid_cap", hw->ept_vpid_cap);

	json_key(w, "features");
	json_array_begin(w);
	for (i = 0; i < hw->nr_features; i++) {
		const struct hw_feature *feat = &hw->features[i];

		json_object_begin(w);
		json_kv_uint(w, "id", feat->id);
		json_kv_string(w, "name", feat->name);
		json_kv_string(w, "state", feature_state_name(feat->state));
		json_kv_string(w, "need", feature_need_name(feat->need));
		json_kv_string(w, "message",
			       feature_sentence(hw, feat, sentence,
						sizeof(sentence)));
		json_object_end(w);
	}
	json_array_end(w);

	json_key(w, "missing_required");
	json_array_begin(w);
	for (i = 0; i < hw->nr_features; i++)
		if (feature_blocks_hypervisor(&hw->features[i]))
			json_string(w, hw->features[i].name);
	json_array_end(w);
	json_object_end(w);
}

void report_hw_check_json(FILE *out, const struct hw_report *hw)
{
	struct json_writer w;

	json_init(&w, out);
	json_hw(&w, hw);
	fputc('\n', out);
}

void report_status_json(FILE *out, const struct sv_status *st)
{
	struct json_writer w;

	json_init(&w, out);
	json_object_begin(&w);
	json_kv_string(&w, "module_version", st->module_version);
	json_kv_uint(&w, "api_version", st->api_version);
	json_kv_uint(&w, "vmctl_api_version", SPLITVISOR_API_VERSION);
	json_kv_string(&w, "hv_state", hv_state_name(st->hv_state));
	/* null from a module older than API 2, which does not count */
	json_key(&w, "cpus_virtualized");
	if (st->has_counters)
		json_uint(&w, st->cpus_virtualized);
	else
		json_null(&w);
	json_key(&w, "exits");
	if (st->has_counters)
		json_uint(&w, st->exits);
	else
		json_null(&w);
	json_key(&w, "hw");
	if (st->has_hw)
		json_hw(&w, &st->hw);
	else
		json_null(&w);
	json_object_end(&w);
	fputc('\n', out);
}

void report_version_text(FILE *out, const struct version_info *ver)
{
	fprintf(out, "vmctl %s (API %d)\n", VMCTL_VERSION,
		SPLITVISOR_API_VERSION);
	if (!ver->module_loaded)
		fputs("module: not loaded\n", out);
	else if (ver->module_answered)
		fprintf(out, "module %s (API %" PRIu32 ")\n",
			ver->module_version, ver->module_api_version);
	else if (ver->module_version[0])
		fprintf(out, "module %s (API unknown)\n", ver->module_version);
	else
		fputs("module: loaded, version unknown\n", out);
}

void report_version_json(FILE *out, const struct version_info *ver)
{
	struct json_writer w;

	json_init(&w, out);
	json_object_begin(&w);
	json_kv_string(&w, "vmctl_version", VMCTL_VERSION);
	json_kv_uint(&w, "vmctl_api_version", SPLITVISOR_API_VERSION);
	json_kv_bool(&w, "module_loaded", ver->module_loaded);
	json_key(&w, "module_version");
	if (ver->module_version[0])
		json_string(&w, ver->module_version);
	else
		json_null(&w);
	json_key(&w, "api_version");
	if (ver->module_answered)
		json_uint(&w, ver->module_api_version);
	else
		json_null(&w);
	json_object_end(&w);
	fputc('\n', out);
}
