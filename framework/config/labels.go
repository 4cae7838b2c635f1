package config

import "strings"

// FeatureLabelPrefix marks the Ginkgo labels that name a feature, e.g. "Feature:SpanName":
// label filters select by them, profiles skip by them, and the report groups by them.
const FeatureLabelPrefix = "Feature:"

// FeatureLabel is the label of a feature.
func FeatureLabel(feature string) string { return FeatureLabelPrefix + feature }

// FeatureOf returns the feature a label names, if it is a feature label.
func FeatureOf(label string) (string, bool) { return strings.CutPrefix(label, FeatureLabelPrefix) }
