package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/shopflow/shopflow/internal/env"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/workflows"
)

func setupWebhooksCommand() *cobra.Command {
	var shop, token, callback, apiVersion, baseURL string
	cmd := &cobra.Command{
		Use:   "webhooks",
		Short: "Subscribe a shop to every webhook topic shopflow handles",
		Long: `Subscribe the shop to each topic of shopflow's topic registry, delivered as
JSON to --callback-url (the ingress's public /webhooks/shopify). Topics the
shop is already subscribed to at that URL are left alone, so the command can
run again after a new topic is added to the registry.

The access token comes from SHOPIFY_ACCESS_TOKEN (or --access-token, which
shows in ps); it needs the read scopes of the topics' resources.`,
		Example: `  SHOPIFY_ACCESS_TOKEN=shpat_... starter setup webhooks --shop acme.myshopify.com \
    --callback-url https://shopflow.example.com/webhooks/shopify`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if shop == "" || token == "" || callback == "" {
				return fmt.Errorf("--shop, --callback-url and an access token (SHOPIFY_ACCESS_TOKEN) are required")
			}
			var topics []admin.WebhookSubscriptionTopic
			for _, r := range workflows.Routes() {
				if r.AppConfigured {
					continue // compliance topics: subscribed in the app's configuration
				}
				t, err := admin.TopicOf(r.Topic)
				if err != nil {
					return err
				}
				topics = append(topics, t)
			}
			c, err := admin.NewClient(admin.Options{Shop: shop, AccessToken: token, APIVersion: apiVersion, BaseURL: baseURL})
			if err != nil {
				return err
			}
			created, err := admin.SubscribeWebhooks(cmd.Context(), c, callback, topics)
			for _, s := range created {
				fmt.Fprintf(cmd.OutOrStdout(), "subscribed %s to %s (%s)\n", s.Topic, s.Uri, s.Id)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d of %d topics newly subscribed, the rest already were\n", shop, len(created), len(topics))
			return nil
		},
	}
	cmd.Flags().StringVar(&shop, "shop", os.Getenv("SHOPFLOW_SHOP"), "the shop's myshopify domain (env SHOPFLOW_SHOP)")
	cmd.Flags().StringVar(&token, "access-token", os.Getenv("SHOPIFY_ACCESS_TOKEN"), "Admin API access token (env SHOPIFY_ACCESS_TOKEN; prefer the env var)")
	cmd.Flags().StringVar(&callback, "callback-url", "", "public URL of the ingress's /webhooks/shopify")
	cmd.Flags().StringVar(&apiVersion, "api-version", admin.DefaultAPIVersion, "Admin API version")
	cmd.Flags().StringVar(&baseURL, "shopify-url", env.Or("SHOPIFY_BASE_URL", ""), "Admin API base URL instead of https://{shop}, e.g. the Shopify simulator's (env SHOPIFY_BASE_URL)")
	return cmd
}
