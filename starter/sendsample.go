package main

import (
	_ "embed"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/shopflow/shopflow/internal/env"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/shopify/webhook"
)

//go:embed samples/orders_create.json
var sampleOrderCreate []byte

func sendSampleCommand() *cobra.Command {
	var url, shop, secret, topic, webhookID, file, apiVersion string
	cmd := &cobra.Command{
		Use:   "send-sample",
		Short: "Sign and send a webhook, by default Shopify's sample orders/create, as Shopify would",
		Long: `Send one webhook delivery to the ingress, signed with the shop's secret and
carrying every header Shopify sends. Run it twice with the same --webhook-id
to see a redelivery acknowledged without starting a second workflow.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			body := sampleOrderCreate
			if file != "" {
				var err error
				if body, err = os.ReadFile(file); err != nil {
					return err
				}
			}
			if secret == "" {
				return fmt.Errorf("no secret: set --secret or SHOPFLOW_WEBHOOK_SECRET")
			}
			if webhookID == "" {
				webhookID = uuid.NewString()
			}
			req, err := webhook.NewRequest(cmd.Context(), url, []byte(secret), webhook.Delivery{
				Topic: topic, Shop: shop, APIVersion: apiVersion, WebhookID: webhookID,
				EventID: uuid.NewString(), TriggeredAt: time.Now(), Body: body,
			})
			if err != nil {
				return err
			}
			resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s -> %s %s", topic, webhookID, resp.Status, answer)
			fmt.Fprintf(cmd.OutOrStdout(), "workflow ID: webhook/%s/%s\n", shop, webhookID)
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("ingress answered %s", resp.Status)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "http://127.0.0.1:8080/webhooks/shopify", "ingress URL")
	cmd.Flags().StringVar(&shop, "shop", env.Or("SHOPFLOW_SHOP", "dev-shop.myshopify.com"), "shop domain (env SHOPFLOW_SHOP)")
	cmd.Flags().StringVar(&secret, "secret", os.Getenv("SHOPFLOW_WEBHOOK_SECRET"), "the shop's webhook secret (env SHOPFLOW_WEBHOOK_SECRET)")
	cmd.Flags().StringVar(&topic, "topic", "orders/create", "X-Shopify-Topic")
	cmd.Flags().StringVar(&webhookID, "webhook-id", "", "X-Shopify-Webhook-Id; a new UUID if empty")
	cmd.Flags().StringVar(&apiVersion, "api-version", admin.DefaultAPIVersion, "X-Shopify-API-Version")
	cmd.Flags().StringVar(&file, "file", "", "payload file instead of Shopify's sample orders/create")
	return cmd
}
